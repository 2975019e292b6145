"""A talk's row in lists (templates/schedule/_talk.jinja, rendered by Jinja2): the stored
rows of schedule/pages/pieces.py and the rows pages show directly ({% talk_row %})."""

from schedule.jinja import template

ROW_TEMPLATE = "schedule/_talk.jinja"


def render_rows(talks, *, piece=False, show_day=False, clashes=None, changed_guids=()) -> list[str]:
    """Each talk's row (one template lookup for all). `piece`: a stored row, its "Changed"
    badge kept between markers; else the badge follows `changed_guids`."""
    render = template(ROW_TEMPLATE).render
    context = dict(
        piece=piece, show_day=show_day, clashes=clashes, changed_guids=changed_guids or ()
    )
    return [render({**context, "talk": talk}) for talk in talks]
