"""altmatch: transparent placement and operations for Japan's Assistant Language Teachers."""

__version__ = "0.1.0"
