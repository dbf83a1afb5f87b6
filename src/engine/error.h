/*
 * Engine errors: a refusal is a static code, the input field at fault
 * (or "game_state" when it is about the game's moment) and a bounded
 * human message.  The codes are those of CONTRACT section 6 and the
 * seed's substitution codes; nothing here allocates.
 */
#ifndef PD_ENGINE_ERROR_H
#define PD_ENGINE_ERROR_H

#define PD_OK			0
#define PD_ERR			(-1)

#define PD_ERR_MSG_MAX		160

#define PD_E_MISSING_FIELD	"MISSING_FIELD"
#define PD_E_INVALID_FORMAT	"INVALID_FORMAT"
#define PD_E_INVALID_PAYLOAD	"INVALID_PAYLOAD"
#define PD_E_NOT_YOUR_TURN	"NOT_YOUR_TURN"
#define PD_E_ROLL_PENDING	"ROLL_PENDING"
#define PD_E_NO_PENDING_ROLL	"NO_PENDING_ROLL"
#define PD_E_ROLL_EXPIRED	"ROLL_EXPIRED"
#define PD_E_DECISION_LOCKED	"DECISION_LOCKED"
#define PD_E_INVALID_DECISION	"INVALID_DECISION"
#define PD_E_INVALID_OUTCOME	"INVALID_OUTCOME"
#define PD_E_GAME_OVER		"GAME_OVER"
#define PD_E_INTERNAL		"INTERNAL_ERROR"
/* Substitutions (seed codes, then ours; see docs/engine.md). */
#define PD_E_NOT_CURRENT_BATTER	"NOT_CURRENT_BATTER"
#define PD_E_PLAYER_ALREADY_OUT	"PLAYER_ALREADY_OUT"
#define PD_E_NOT_IN_ROSTER	"NOT_IN_ROSTER"
#define PD_E_ALREADY_ACTIVE	"ALREADY_ACTIVE"
#define PD_E_PLAYER_NOT_FOUND	"PLAYER_NOT_FOUND"
#define PD_E_PLAYER_NOT_ACTIVE	"PLAYER_NOT_ACTIVE"
#define PD_E_NOT_CURRENT_PITCHER	"NOT_CURRENT_PITCHER"
#define PD_E_PITCHER_NO_BATTER	"PITCHER_MUST_FACE_BATTER"
#define PD_E_INVALID_POSITION	"INVALID_POSITION"
#define PD_E_INVALID_TEAM	"INVALID_TEAM"
/* Set-up, rules table and snapshots. */
#define PD_E_INVALID_ROSTER	"INVALID_ROSTER"
#define PD_E_INVALID_RULES	"INVALID_RULES"
#define PD_E_INVALID_SNAPSHOT	"INVALID_SNAPSHOT"

#define PD_F_GAME_STATE		"game_state"

struct pd_error {
	const char	*code;		/* static; NULL when none */
	const char	*field;		/* static; NULL when none */
	char		 message[PD_ERR_MSG_MAX];
};

void	pd_error_clear(struct pd_error *);
int	pd_error_set(struct pd_error *, const char *, const char *,
	    const char *, ...) __attribute__((format(printf, 4, 5)));

#endif
