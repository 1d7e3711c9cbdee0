"""Distribution: a teams file -> each team's files -> one message per recipient -> an outbox
or an SMTP server, exactly once, with a SQLite ledger of what went to whom.

- ``teams``: the teams file (TOML) as a validated model, and which episodes a team gets;
- ``bundles``: each team's files rendered through the pipeline into ``DIR/<team>/``;
- ``messages``: ``email.message.EmailMessage``s built with the SMTP policy;
- ``ledger``: what was sent, per recipient and content digest (``sqlite3``);
- ``outbox`` and ``smtp``: the two ways out; ``plan``: who gets what in this run;
- ``command``: the ``briefing distribute`` click command.

Nothing here imports a format: the mail body comes from a registered format that
implements ``briefing.formats.MailingExporter``.
"""
