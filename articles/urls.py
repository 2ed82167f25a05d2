from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/counts/", views.article_list_counts, name="list_counts"),
    path("articles/export.csv", views.export_csv, name="export_csv"),
    path("articles/export.json", views.export_json, name="export_json"),
    path("articles/feed/", views.article_feed, name="feed"),
    path("articles/timeline.csv", views.timeline_csv, name="timeline_csv"),
    # Before the article's own page, whose slug part would take "corrections".
    path("articles/<int:pk>/corrections/", views.article_corrections, name="article_corrections"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/", views.article_detail, {"slug": ""}, name="detail_short"),
    path("actors/", views.actor_index, name="actor_index"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("actors/<slug:slug>/counts/", views.actor_counts, name="actor_counts"),
    path("actors/<slug:slug>/corrections/", views.actor_corrections, name="actor_corrections"),
    path("places/", views.place_index, name="place_index"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("places/<slug:slug>/counts/", views.place_counts, name="place_counts"),
    path("places/<slug:slug>/corrections/", views.place_corrections, name="place_corrections"),
    path("map/", views.article_map, name="map"),
    path("map/counts/", views.map_counts, name="map_counts"),
    path("sources/", views.source_index, name="source_index"),
]
