"""Marchés : exécution, paiements et qualité."""
