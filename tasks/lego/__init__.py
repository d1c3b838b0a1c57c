"""LEGO (Zhang et al. 2022): sentences of clauses `x = g y`, resolved along a chain."""
