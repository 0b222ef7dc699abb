"""The person index's pages. Each views module lists its own ``urlpatterns``."""

from socex.people.views import imports, person, review

app_name = "people"

urlpatterns = [*person.urlpatterns, *review.urlpatterns, *imports.urlpatterns]
