"""Each talk's piece of a whole-event export (its VEVENT, its frab JSON object, its frab XML
<event>) and of the pages that list talks (its list row, its grid card) is kept, so that a
feed of 1,000 talks or a day of 450 is a join of ready pieces, not that many renders.

Pieces live in Django's cache (store.py), keyed by the `stamp` of what they were built from
(the talk, its room, devroom, event, ordered speakers and their ids; see stamps.py): a
rename of a room changes the stamp of every talk in it, and the next request builds those
pieces again. They once were a table (TalkFragment), which every cold GET wrote to.
"""
