/*
 * health: GET /healthz, GET /metrics and GET /api/openapi.json.
 *
 * /healthz runs SELECT 1 through the same pool as every query: 200
 * {status: "ok", database: "up"} or 503 {status: "unavailable",
 * database: "down"}.  A first failure is retried once, because the first
 * query after PostgreSQL restarts finds a connection that died while
 * idle (the retry connects again).  The OpenAPI document is
 * conf/openapi.json, read once per worker and served as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/metrics.h"

#define OPENAPI_PATH	"conf/openapi.json"
#define OPENAPI_MAX	(512 * 1024)

int		pd_api_healthz(struct http_request *);
int		pd_api_metrics(struct http_request *);

static void	healthz_start(struct api_ctx *);
static void	healthz_done(struct api_ctx *, const struct pd_db_result *);
static void	metrics_start(struct api_ctx *);

static char	*openapi;
static size_t	 openapi_len;

static const char	sql_ping[] = "SELECT 1";

void
pd_api_init(void)
{
	api_auth_init();
	api_health_init();
}

void
api_health_init(void)
{
	FILE	*f;
	long	 n;

	if ((f = fopen(OPENAPI_PATH, "r")) == NULL) {
		kore_log(LOG_WARNING, "api: %s is missing", OPENAPI_PATH);
		return;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    n < OPENAPI_MAX && fseek(f, 0, SEEK_SET) == 0 &&
	    (openapi = malloc((size_t)n)) != NULL) {
		openapi_len = fread(openapi, 1, (size_t)n, f);
	}
	(void)fclose(f);
}

int
pd_api_healthz(struct http_request *req)
{
	return (api_run(req, healthz_start));
}

static void
healthz_start(struct api_ctx *ctx)
{
	ctx->see_unavailable = 1;
	api_query(ctx, sql_ping, 0, NULL, healthz_done);
	if (ctx->done)
		healthz_done(ctx, NULL);
}

static void
healthz_done(struct api_ctx *ctx, const struct pd_db_result *r)
{
	static const char	up[] = "{\"status\":\"ok\",\"database\":\"up\"}";
	static const char	down[] =
	    "{\"status\":\"unavailable\",\"database\":\"down\"}";

	if (r != NULL && r->status == PD_DB_OK) {
		api_json(ctx, HTTP_STATUS_OK, up, sizeof(up) - 1);
		return;
	}
	if (r != NULL && ctx->attempt++ == 0) {
		api_query(ctx, sql_ping, 0, NULL, healthz_done);
		if (!ctx->done)
			return;
	}
	api_json(ctx, HTTP_STATUS_SERVICE_UNAVAILABLE, down, sizeof(down) - 1);
}

int
pd_api_metrics(struct http_request *req)
{
	return (api_run(req, metrics_start));
}

static void
metrics_start(struct api_ctx *ctx)
{
	pd_buf_reset(&ctx->tmp);
	if (pd_metrics_render(&ctx->tmp) == -1) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Could not render the metrics");
		return;
	}
	if (pd_buf_appendf(&ctx->tmp, "# HELP pd_db_up This worker's last "
	    "database outcome.\n# TYPE pd_db_up gauge\npd_db_up %d\n",
	    pd_db_up()) == -1) {
		api_error(ctx, HTTP_STATUS_INTERNAL_ERROR, "INTERNAL_ERROR",
		    "Could not render the metrics");
		return;
	}
	api_json_buf(ctx, HTTP_STATUS_OK, &ctx->tmp);
	ctx->ctype = "text/plain; version=0.0.4; charset=utf-8";
}

void
api_openapi(struct api_ctx *ctx)
{
	if (openapi == NULL) {
		api_error(ctx, HTTP_STATUS_NOT_FOUND, "NOT_FOUND",
		    "The OpenAPI document is not installed");
		return;
	}
	api_json(ctx, HTTP_STATUS_OK, openapi, openapi_len);
}
