from django import template

from ivp.core.access import access_for
from ivp.core.selectors import comments_for_user

register = template.Library()


@register.inclusion_tag("components/comments.html", takes_context=True)
def comments_block(context, target, kind: str):
    request = context["request"]
    draft = request.session.pop("comment_draft", "") if hasattr(request, "session") else ""
    return {
        "comments": comments_for_user(request.user, target),
        "can_comment": access_for(request.user).can_comment,
        "kind": kind, "pk": target.pk, "draft": draft, "request": request,
        "csrf_token": context.get("csrf_token"),
    }
