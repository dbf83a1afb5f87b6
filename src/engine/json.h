/*
 * JSON shapes of the engine's objects, in one place for the wire, REST
 * and the replay tool: state, roll, decisions, play result, substitution,
 * lineup_data players and box score (CONTRACT sections 5 and 7), the
 * internal snapshot, and parsers for requests and rosters.  Output goes
 * through a caller's yajl_gen so objects can be embedded in events.
 */
#ifndef PD_ENGINE_JSON_H
#define PD_ENGINE_JSON_H

#include <stddef.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "engine/game.h"

int	pd_json_state(yajl_gen, const struct pd_game *);
int	pd_json_roll(yajl_gen, const struct pd_roll *);
int	pd_json_lineup_entry(yajl_gen, const struct pd_game *, int, int);
int	pd_json_decisions(yajl_gen, const struct pd_game *);
int	pd_json_def_decision(yajl_gen, const struct pd_def_decision *);
int	pd_json_off_decision(yajl_gen, const struct pd_off_decision *);
int	pd_json_play(yajl_gen, const struct pd_play_result *);
int	pd_json_sub(yajl_gen, const struct pd_sub_result *);
int	pd_json_lineup_players(yajl_gen, const struct pd_game *, int);
int	pd_json_box_score(yajl_gen, const struct pd_game *);
int	pd_json_error(yajl_gen, const struct pd_error *);

/* Whole documents as malloc'd, NUL-terminated strings (free()). */
char	*pd_json_state_str(const struct pd_game *, size_t *);
char	*pd_json_play_str(const struct pd_play_result *, size_t *);
char	*pd_json_box_score_str(const struct pd_game *, size_t *);

/* Snapshot: everything needed to continue the game; round-trips. */
int	pd_snapshot_gen(yajl_gen, const struct pd_game *);
char	*pd_snapshot_str(const struct pd_game *, size_t *);
int	pd_snapshot_read(struct pd_game *, const char *, struct pd_error *);
int	pd_snapshot_from_tree(struct pd_game *, yajl_val, struct pd_error *);

/*
 * Requests and rosters from parsed JSON.  Strings point into the tree,
 * which must outlive the request struct.
 */
int	pd_json_parse_roster(yajl_val, struct pd_roster *, struct pd_error *);
int	pd_json_parse_def(yajl_val, struct pd_def_input *, struct pd_error *);
int	pd_json_parse_off(yajl_val, struct pd_off_input *, struct pd_error *);
int	pd_json_parse_outcome(yajl_val, struct pd_outcome_input *,
	    struct pd_error *);
int	pd_json_parse_sub(yajl_val, struct pd_sub_input *, struct pd_error *);

/* Shared by the engine's JSON files. */
int		pd_json_gen_done(yajl_gen, char **, size_t *);
int		pd_json_gen_int(yajl_gen, long long);
/* A JSON string (a key or a value) from a C string. */
int		pd_json_gen_str(yajl_gen, const char *);

#endif
