"""Training seminars beyond their page: where a seminar stands (`facts`), the signed public form
(`form_token`), the e-mails registrants get (`letters`) and the yearly report (`report`). The state changes
themselves (register, cancel, attendance, anonymise) are actions in municms.actions.seminar_*."""
