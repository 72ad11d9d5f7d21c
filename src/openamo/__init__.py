"""OpenAMO — assistance à maîtrise d'ouvrage numérique pour les acheteurs publics."""

__version__ = "0.1.0"
