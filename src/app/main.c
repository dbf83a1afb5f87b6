/*
 * main: the Paper Dynasty Kore module.
 *
 * Wires the layers together in each worker, bottom up: configuration,
 * transport (Engine.IO, Socket.IO), then the game service.  The route
 * handlers named in kore.conf live here or in src/api/.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "app/config.h"
#include "app/metrics.h"
#include "store/db.h"
#include "service/state_manager.h"
#include "service/gateway.h"
#include "service/ratelimit.h"
#include "transport/eio.h"
#include "transport/sio.h"

void	kore_worker_configure(void);
int	pd_socketio(struct http_request *);

void
kore_worker_configure(void)
{
	struct eio_config	ecfg;
	struct sio_config	scfg;
	char			err[128];

	if (pd_config_load(err, sizeof(err)) == -1 ||
	    pd_rl_configure(getenv("RATE_LIMITS"), err, sizeof(err)) == -1)
		fatal("configuration: %s", err);
	pd_metrics_init();
	pd_db_init();
	pd_api_init();

	memset(&ecfg, 0, sizeof(ecfg));
	ecfg.ping_interval = pd_cfg.ping_interval;
	ecfg.ping_timeout = pd_cfg.ping_timeout;
	ecfg.upgrade_timeout = 10000;
	ecfg.max_payload = 1000000;
	ecfg.max_queue = pd_cfg.send_queue_limit;
	eio_init(&ecfg);

	scfg.connect_timeout = 45000;
	sio_init(&scfg);
	pd_gateway_init();
	pd_games_init();
}

int
pd_socketio(struct http_request *req)
{
	return (eio_http(req, &sio_eio_hooks));
}
