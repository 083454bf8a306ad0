"""IVP: the platform for a Dutch Integraal Veiligheidsplan."""

__version__ = "0.1.0"
