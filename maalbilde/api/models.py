"""What the API keeps of its own: the answers to writes sent with an idempotency key, so that
a system that sends the same push twice (a retry after a lost answer) gets the first answer
and no second batch."""

from django.db import models

from maalbilde.organisations.models import ApiToken


class IdempotentWrite(models.Model):
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # The SHA-256 of the method, path and body: the same key with another body is refused.
    digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    answer = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="key_once")]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"
