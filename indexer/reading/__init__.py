"""Reading notes: markdown parsed into blocks with raw line numbers (``parse``), cut into cited chunks
along the heading tree (``chunk``)."""
