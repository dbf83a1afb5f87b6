/*
 * static: the web UI's files, `/` (assets/index.html) and `/assets/NAME`.
 *
 * Files are read on each request, so an edited asset shows on the next
 * reload without a restart; they are small and the 304 answer to a
 * matching If-None-Match saves the transfer.  Names are one path segment
 * of a fixed alphabet, so no request can leave assets/ (no slashes, no
 * "..", no escapes).  The Socket.IO browser client is served from
 * node_modules, where npm put it, rather than from a vendored copy.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define STATIC_DIR		"assets"
#define STATIC_PREFIX		"/assets/"
#define STATIC_NAME_MAX		64
#define STATIC_FILE_MAX		(4 * 1024 * 1024)

struct mime {
	const char	*ext;
	const char	*type;
};

struct alias {
	const char	*name;
	const char	*path;
};

static const struct mime	mimes[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".map", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const struct alias	aliases[] = {
	{ "socket.io.min.js",
	    "node_modules/socket.io-client/dist/socket.io.min.js" },
	{ "socket.io.min.js.map",
	    "node_modules/socket.io-client/dist/socket.io.min.js.map" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

int		pd_static(struct http_request *);

static int	static_name_ok(const char *);
static const char *static_mime(const char *);
static int	static_send(struct http_request *, const char *, const char *);
static void	static_plain(struct http_request *, int, const char *);

int
pd_static(struct http_request *req)
{
	const char	*name;
	char		 path[sizeof(STATIC_DIR) + STATIC_NAME_MAX + 2];
	size_t		 i;

	if (req->method != HTTP_METHOD_GET && req->method != HTTP_METHOD_HEAD) {
		http_response_header(req, "allow", "GET, HEAD");
		static_plain(req, HTTP_STATUS_METHOD_NOT_ALLOWED,
		    "method not allowed\n");
		return (KORE_RESULT_OK);
	}

	if (strcmp(req->path, "/") == 0 ||
	    strcmp(req->path, "/index.html") == 0)
		name = "index.html";
	else if (strncmp(req->path, STATIC_PREFIX,
	    sizeof(STATIC_PREFIX) - 1) == 0)
		name = req->path + sizeof(STATIC_PREFIX) - 1;
	else
		name = NULL;

	if (name == NULL || !static_name_ok(name)) {
		static_plain(req, HTTP_STATUS_NOT_FOUND, "not found\n");
		return (KORE_RESULT_OK);
	}

	for (i = 0; i < NELEM(aliases); i++) {
		if (strcmp(name, aliases[i].name) == 0)
			return (static_send(req, aliases[i].path, name));
	}
	(void)snprintf(path, sizeof(path), "%s/%s", STATIC_DIR, name);
	return (static_send(req, path, name));
}

/* One segment: [A-Za-z0-9_-] first, then also '.', never "..". */
static int
static_name_ok(const char *name)
{
	size_t	i, len;
	int	c;

	len = strlen(name);
	if (len == 0 || len > STATIC_NAME_MAX || name[0] == '.' ||
	    strstr(name, "..") != NULL)
		return (0);
	for (i = 0; i < len; i++) {
		c = (unsigned char)name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '.'))
			return (0);
	}
	return (1);
}

static const char *
static_mime(const char *name)
{
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(name, '.')) == NULL)
		return (NULL);
	for (i = 0; i < NELEM(mimes); i++) {
		if (strcmp(dot, mimes[i].ext) == 0)
			return (mimes[i].type);
	}
	return (NULL);
}

static int
static_send(struct http_request *req, const char *path, const char *name)
{
	struct stat	 st;
	const char	*type, *inm;
	char		 etag[64];
	u_int8_t	*data;
	ssize_t		 n;
	size_t		 off;
	int		 fd;

	if ((type = static_mime(name)) == NULL) {
		static_plain(req, HTTP_STATUS_NOT_FOUND, "not found\n");
		return (KORE_RESULT_OK);
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			kore_log(LOG_NOTICE, "static: %s: %s", path,
			    strerror(errno));
		static_plain(req, HTTP_STATUS_NOT_FOUND, "not found\n");
		return (KORE_RESULT_OK);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > STATIC_FILE_MAX) {
		(void)close(fd);
		static_plain(req, HTTP_STATUS_NOT_FOUND, "not found\n");
		return (KORE_RESULT_OK);
	}

	(void)snprintf(etag, sizeof(etag), "\"%jx-%jx-%lx\"",
	    (uintmax_t)st.st_size, (uintmax_t)st.st_mtim.tv_sec,
	    (unsigned long)st.st_mtim.tv_nsec);
	/* Revalidate every time: names carry no version, so no max-age. */
	http_response_header(req, "cache-control", "no-cache");
	http_response_header(req, "etag", etag);
	http_response_header(req, "x-content-type-options", "nosniff");
	if (strcmp(name, "index.html") == 0) {
		http_response_header(req, "content-security-policy",
		    "default-src 'self'; img-src 'self' data:; "
		    "object-src 'none'; base-uri 'none'; "
		    "frame-ancestors 'none'");
		http_response_header(req, "referrer-policy", "no-referrer");
	}

	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, etag) == 0) {
		(void)close(fd);
		http_response(req, HTTP_STATUS_NOT_MODIFIED, NULL, 0);
		return (KORE_RESULT_OK);
	}

	data = kore_malloc((size_t)st.st_size + 1);
	for (off = 0; off < (size_t)st.st_size; off += (size_t)n) {
		n = read(fd, data + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	(void)close(fd);
	if (off != (size_t)st.st_size) {
		kore_free(data);
		static_plain(req, HTTP_STATUS_INTERNAL_ERROR,
		    "read error\n");
		return (KORE_RESULT_OK);
	}

	http_response_header(req, "content-type", type);
	http_response(req, HTTP_STATUS_OK, data, off);
	kore_free(data);
	return (KORE_RESULT_OK);
}

static void
static_plain(struct http_request *req, int status, const char *msg)
{
	http_response_header(req, "content-type", "text/plain; charset=utf-8");
	http_response_header(req, "cache-control", "no-store");
	http_response(req, status, msg, strlen(msg));
}
