"""mine package."""
