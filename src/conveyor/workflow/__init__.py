"""Loading GitHub Actions workflow and action files into frozen records."""
