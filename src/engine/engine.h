/*
 * The Paper Dynasty game engine: pure game rules, no I/O.  Include this
 * for the whole public API; see docs/engine.md.
 */
#ifndef PD_ENGINE_H
#define PD_ENGINE_H

#include "engine/error.h"
#include "engine/dice.h"
#include "engine/outcome.h"
#include "engine/rules.h"
#include "engine/score.h"
#include "engine/game.h"
#include "engine/json.h"

#endif
