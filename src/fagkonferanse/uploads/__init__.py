"""Images organisers upload (floor plans, organisation logos): checked, cleaned and served."""
