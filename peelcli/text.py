"""Characters that do not show when text is read: one list for the sanitiser, which escapes
them, and for search, which reads past them. No imports, so anything may use it cheaply."""

# Unicode's "format" characters (category Cf: zero-width spaces and joiners, word joiner and
# invisible operators, bidirectional marks, overrides and isolates, the byte order mark, soft
# hyphen, tag characters…), the whole tag block, and the Hangul fillers, letters that draw
# nothing. tests/test_invisible.py checks the list against the running Python's Unicode.
INVISIBLE_BMP = (
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
)
INVISIBLE_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f"
)
INVISIBLE = INVISIBLE_BMP + INVISIBLE_ASTRAL
# A regular expression class of scattered ranges beyond the BMP costs more than one of BMP
# ranges: a scan matches any character beyond the BMP (rare in text) and then checks it.
MAYBE_INVISIBLE = INVISIBLE_BMP + "\U00010000-\U0010ffff"
