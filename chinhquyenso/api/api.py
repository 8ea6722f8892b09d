"""The JSON API at /api/v1/: one router per domain."""

from ninja import NinjaAPI

from chinhquyenso.api import errors
from chinhquyenso.api.routers import citizens as citizens_router
from chinhquyenso.api.routers import complaints as complaints_router
from chinhquyenso.api.routers import core as core_router
from chinhquyenso.api.routers import desk as desk_router
from chinhquyenso.api.routers import metrics as metrics_router
from chinhquyenso.api.routers import procedures as procedures_router

api = NinjaAPI(
    title="Chính quyền số API",
    version="1",
    description="API của nền tảng Chính quyền số. Lỗi luôn có dạng {code, message, fields}.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", core_router.router)
api.add_router("/", procedures_router.router)
api.add_router("/", procedures_router.public_router)
api.add_router("/", metrics_router.router)
api.add_router("/", complaints_router.router)
api.add_router("/", citizens_router.routers)
api.add_router("/", desk_router.router)
