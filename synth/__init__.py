"""lego-synth: enumerative program synthesis as an exact baseline for length generalization."""
