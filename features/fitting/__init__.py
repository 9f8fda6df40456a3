"""Fitting: fit check and size recommendation from body measurements and size charts."""
