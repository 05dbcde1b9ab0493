"""rectify package."""
