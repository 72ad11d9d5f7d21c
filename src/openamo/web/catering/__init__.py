"""Restauration collective : achats et ratios EGAlim."""
