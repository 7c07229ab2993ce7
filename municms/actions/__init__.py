"""One module per state change. Each action: load the acting user → check role and transition in the
workflow table → execute → write exactly one event in the same transaction → commit → send a signal.
Front ends (CLI, web app, watcher) call these functions only."""
