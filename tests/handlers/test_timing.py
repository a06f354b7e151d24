"""Times of day as residents read them in the bot's messages."""

from datetime import time

import pytest

from handlers.timing import clock_word


@pytest.mark.parametrize(
    ("moment", "said"),
    [(time(8, 0), "朝8時"), (time(7, 30), "朝7時30分"), (time(12, 0), "12時"), (time(13, 15), "13時15分")],
)
def test_the_end_of_quiet_hours_is_said_as_people_say_it(moment: time, said: str) -> None:
    # An organisation whose quiet hours end at noon must not read 「朝12時」.
    assert clock_word(moment) == said
