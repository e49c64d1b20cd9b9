"""Gates: report parsers, one finding model, policy and verdicts."""
