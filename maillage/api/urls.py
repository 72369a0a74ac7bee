from ninja import NinjaAPI

api = NinjaAPI(title="Maillage API", version="1", urls_namespace="api")
