"""Data building, training and evaluation."""
