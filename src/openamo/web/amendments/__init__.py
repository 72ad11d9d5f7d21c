"""Avenants aux marchés."""
