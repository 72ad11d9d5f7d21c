"""Pages of the passation: parse the form → one service call → redirect or re-render."""
