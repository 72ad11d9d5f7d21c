"""Passation : critères, offres et analyse."""
