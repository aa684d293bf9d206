"""Everything on disk: report files, their YAML, the cache, and the loader that uses them.

Imports point down this list and never back up: ``files`` (paths, bytes, text, writing
a file safely); ``parse`` and ``dump`` (YAML to a validated report and back); ``codec``
(a report as plain data and back); ``store`` (the cache, a plain store of entries);
``pool`` (parsing on every core); ``loader`` (the one coordinator).
"""
