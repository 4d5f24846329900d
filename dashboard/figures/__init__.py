"""Figure builders: DataFrame in, Plotly figure (and a one-sentence text alternative) out. No I/O here."""
