"""Pilotage des projets informatiques."""
