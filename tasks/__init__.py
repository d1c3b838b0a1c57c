"""Task families (LEGO first): generators, readers, writers, reference solvers, strategies."""
