"""Date and number formats of the interface, one module per language (FORMAT_MODULE_PATH).

Dates read dd/mm/yyyy in every language, as Vietnamese documents and users write them; a date without an
explicit format in a template or a form follows these, not Django's locale defaults.
"""
