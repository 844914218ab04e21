"""Messages that leave the service: e-mails and SMS to citizens, papers to the national portal's repository.
Written to the outbox in the transaction of their change (`queue.enqueue`), delivered by the `sender` over the
`channels`, with retries and a dead letter (docs/outbox.md)."""
