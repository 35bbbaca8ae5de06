/* nl-panel-controls.h — toolbar controls bound to a panel's stateful GActions, for the field
 * and causality panels (lfp, csd, granger, nte; each module compiles its own copy).
 *
 * The action is the truth: a control changes the action's state (so tests and the control
 * do the same thing), and a state change from elsewhere (a test, a menu) moves the control.
 * Only the main thread touches either.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A stateful action `name` of `initial`'s type whose requested states go through `changed`
 * (which sets the state when it accepts it). Added to `group`. */
GSimpleAction *nl_control_add_action     (GSimpleActionGroup *group,
                                          const char         *name,
                                          GVariant           *initial,
                                          GCallback           changed,
                                          gpointer            user_data);

/* A drop-down for the string ("s") or integer ("i") action `name` of `group`: item k stands
 * for ids[k] (parsed as an integer for "i"), shown as labels[k]. */
GtkWidget     *nl_control_dropdown_new   (GSimpleActionGroup *group,
                                          const char         *name);
/* Replaces the items (NULL-terminated, same length), then shows the action's state. */
void           nl_control_dropdown_set_items (GtkWidget      *dropdown,
                                          const char *const  *ids,
                                          const char *const  *labels);

/* A spin button for the unsigned ("u") action `name`, from lo to hi. */
GtkWidget     *nl_control_spin_new       (GSimpleActionGroup *group,
                                          const char         *name,
                                          double              lo,
                                          double              hi);

/* A check button for the boolean action `name` (through its action name "panel.NAME"). */
GtkWidget     *nl_control_check_new     (const char         *name,
                                          const char         *label);

G_END_DECLS
