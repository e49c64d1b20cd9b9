"""Run history: runs, jobs, steps, logs, gate results and test outcomes (SQLAlchemy 2)."""
