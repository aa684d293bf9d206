"""The tracker file: each finding's status, owner, due dates and history, kept apart from the
reports, which stay word for word their source.

model (the file's shape), dates (ISO and relative dates), keys (which finding an entry is),
store (finding, reading and writing the file under a lock), status (RAG and responses as at
a day), changes (what `set` and `import` do) and listing (the rows the commands show).
"""
