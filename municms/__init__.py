"""municms: static site generator and headless CMS for a Turkish municipality."""

__version__ = "0.1.0"
