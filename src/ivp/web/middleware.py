from django.conf import settings
from django.utils import translation


class DutchFirstLocaleMiddleware:
    """Dutch unless the user chose another language (language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
    most Dutch civil servants whose browsers are set to English; this app is Dutch-first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
