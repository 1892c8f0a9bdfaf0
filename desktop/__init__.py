"""Rackshift: plan the conversion of Bitcoin mines into AI data centres."""
__version__ = "0.1.0"
