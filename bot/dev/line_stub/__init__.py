"""A fake LINE Messaging API over real HTTP, shared by the test suite and the local demo."""

from bot.dev.line_stub.stub import InboxEntry, LineStub, RecordedRequest, user_id_for

__all__ = ["InboxEntry", "LineStub", "RecordedRequest", "user_id_for"]
