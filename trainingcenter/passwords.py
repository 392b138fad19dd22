"""Password rules beyond Django's."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trainingcenter.text import search_key

# Words a Vietnamese office reaches for first.
COMMON_WORDS = ("matkhau", "trungtam", "chinhtri", "daihoi", "dangvien", "admin")


class ContextWordsValidator:
    """Refuse passwords built on the service's own words or the user's centres.

    Compared without diacritics, case and spaces, so "Trung tâm Chính trị 2025"
    is as weak as "trungtamchinhtri2025".
    """

    def validate(self, password, user=None):
        bare = search_key(password).replace(" ", "")
        words = list(COMMON_WORDS)
        if user is not None and user.pk:
            from trainingcenter.models import Center

            for center in Center.objects.filter(memberships__user=user):
                words.append(search_key(center.name).replace(" ", ""))
                words.append(center.slug.replace("-", ""))
        for word in words:
            if word and len(word) >= 4 and word in bare:
                raise ValidationError(
                    _("This password contains a word that is too easy to guess."),
                    code="password_context_word",
                )

    def get_help_text(self):
        return _(
            "Your password must not contain the centre's name or common words "
            "such as “matkhau”."
        )
