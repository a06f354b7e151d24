"""Everything the bot says, in やさしい日本語: one copy module per flow, reviewed where it is used.

Handlers read `texts.NAME` from this package, which re-exports every module; a flow's sentences are
in `handlers/texts/<flow>.py`, named like the handler module that says them.
"""

from __future__ import annotations

from handlers.texts.accept import *  # noqa: F403
from handlers.texts.accepted_requests import *  # noqa: F403
from handlers.texts.after_send import *  # noqa: F403
from handlers.texts.agreement import *  # noqa: F403
from handlers.texts.common import *  # noqa: F403
from handlers.texts.community_places import *  # noqa: F403
from handlers.texts.completion import *  # noqa: F403
from handlers.texts.coordination import *  # noqa: F403
from handlers.texts.desk import *  # noqa: F403
from handlers.texts.fees import *  # noqa: F403
from handlers.texts.first_visit import *  # noqa: F403
from handlers.texts.follow import *  # noqa: F403
from handlers.texts.followups import *  # noqa: F403
from handlers.texts.insurance import *  # noqa: F403
from handlers.texts.masters import *  # noqa: F403
from handlers.texts.menu import *  # noqa: F403
from handlers.texts.my_requests import *  # noqa: F403
from handlers.texts.notify import *  # noqa: F403
from handlers.texts.offer import *  # noqa: F403
from handlers.texts.privacy import *  # noqa: F403
from handlers.texts.relay import *  # noqa: F403
from handlers.texts.request_changes import *  # noqa: F403
from handlers.texts.request_flow import *  # noqa: F403
from handlers.texts.safety import *  # noqa: F403
from handlers.texts.shifts import *  # noqa: F403
from handlers.texts.supporter_flow import *  # noqa: F403
