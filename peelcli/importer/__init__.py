"""The published text of a PEEL report to a Report: pure functions, no I/O, no printing.

The text is read as a web page copies: one paragraph per line, blank lines and spacing
ignored, list items marked with a bullet (``-``, ``•``, ``*`` …) or, in a list that has
none, one item per line. The first line is the report's title ("Metropolitan PEEL 2016",
"PEEL 2023–25: An inspection of Exampleshire Police"); site furniture such as "Skip to
content" and "Last updated 02/03/2017" is dropped.

The text's structure tells its era:

- pillar headings (Effectiveness, Efficiency, Legitimacy) or a pillar's headline question:
  a pillar report (2014–2017) or integrated PEEL (2018/19), read by ``pillars``;
- an opening "Overall summary" or the name of an area of policing: a PEEL assessment (from
  2021), read by ``areas``.

Every line either lands in the report or comes back as a warning with its number. What the
text does not state (a grade, where the text comes from) comes from the caller or is
recorded as not stated: a grade is never guessed. What a caller may give is named by facts
(see ``needs``), never by a command line's options.
"""

from peelcli.importer.dates import parse_date
from peelcli.importer.needs import DetailsNeeded, Need
from peelcli.importer.pillars import PillarGrade
from peelcli.importer.report import PROGRAMME, Imported, import_text
from peelcli.importer.text import earlier_grades, sentences, stated_grades
from peelcli.importer.units import Explanation

__all__ = [
    "PROGRAMME",
    "DetailsNeeded",
    "Explanation",
    "Imported",
    "Need",
    "PillarGrade",
    "earlier_grades",
    "import_text",
    "parse_date",
    "sentences",
    "stated_grades",
]
