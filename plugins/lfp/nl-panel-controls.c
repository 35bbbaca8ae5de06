/* nl-panel-controls.c — see nl-panel-controls.h. */
#include "nl-panel-controls.h"

#include <string.h>

GSimpleAction *
nl_control_add_action (GSimpleActionGroup *group, const char *name, GVariant *initial,
                       GCallback changed, gpointer user_data)
{
  GSimpleAction *a = g_simple_action_new_stateful (name, NULL, initial);

  g_signal_connect (a, "change-state", changed, user_data);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (a));
  g_object_unref (a);
  return a;
}

/* Drop-downs ---------------------------------------------------------------------------------- */

typedef struct {
  GActionGroup *group;    /* weak: the panel owns both */
  char         *name;
  char        **ids;
  gboolean      syncing;
} Binding;

static void
binding_free (gpointer p)
{
  Binding *b = p;
  g_free (b->name);
  g_strfreev (b->ids);
  g_free (b);
}

static char *
state_id (GVariant *state)
{
  if (g_variant_is_of_type (state, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (state, NULL);
  if (g_variant_is_of_type (state, G_VARIANT_TYPE_INT32))
    return g_strdup_printf ("%d", g_variant_get_int32 (state));
  if (g_variant_is_of_type (state, G_VARIANT_TYPE_UINT32))
    return g_strdup_printf ("%u", g_variant_get_uint32 (state));
  return NULL;
}

static void
dropdown_show_state (GtkWidget *dd)
{
  Binding *b = g_object_get_data (G_OBJECT (dd), "nl-binding");
  g_autoptr(GVariant) state = g_action_group_get_action_state (b->group, b->name);
  g_autofree char *id = state ? state_id (state) : NULL;

  for (guint k = 0; id && b->ids && b->ids[k]; k++)
    if (g_str_equal (b->ids[k], id))
      {
        b->syncing = TRUE;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), k);
        b->syncing = FALSE;
        return;
      }
}

static void
dropdown_selected (GtkWidget *dd, GParamSpec *pspec, gpointer data)
{
  Binding *b = g_object_get_data (G_OBJECT (dd), "nl-binding");
  guint k = gtk_drop_down_get_selected (GTK_DROP_DOWN (dd));
  g_autoptr(GVariant) state = NULL;

  if (b->syncing || !b->ids || k >= g_strv_length (b->ids))
    return;
  state = g_action_group_get_action_state (b->group, b->name);
  if (g_variant_is_of_type (state, G_VARIANT_TYPE_INT32))
    g_action_group_change_action_state (b->group, b->name,
                                        g_variant_new_int32 ((gint32) g_ascii_strtoll (b->ids[k], NULL, 10)));
  else
    g_action_group_change_action_state (b->group, b->name, g_variant_new_string (b->ids[k]));
  /* A refused state puts the control back. */
  dropdown_show_state (dd);
}

static void
state_changed (GActionGroup *group, const char *name, GVariant *state, GtkWidget *widget)
{
  Binding *b = g_object_get_data (G_OBJECT (widget), "nl-binding");

  if (!g_str_equal (name, b->name))
    return;
  if (GTK_IS_DROP_DOWN (widget))
    dropdown_show_state (widget);
  else if (GTK_IS_SPIN_BUTTON (widget) && g_variant_is_of_type (state, G_VARIANT_TYPE_UINT32))
    {
      b->syncing = TRUE;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), g_variant_get_uint32 (state));
      b->syncing = FALSE;
    }
}

static Binding *
bind (GtkWidget *widget, GSimpleActionGroup *group, const char *name)
{
  Binding *b = g_new0 (Binding, 1);

  b->group = G_ACTION_GROUP (group);
  b->name = g_strdup (name);
  g_object_set_data_full (G_OBJECT (widget), "nl-binding", b, binding_free);
  g_signal_connect_object (group, "action-state-changed", G_CALLBACK (state_changed), widget, 0);
  return b;
}

GtkWidget *
nl_control_dropdown_new (GSimpleActionGroup *group, const char *name)
{
  GtkWidget *dd = gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL);

  bind (dd, group, name);
  g_signal_connect (dd, "notify::selected", G_CALLBACK (dropdown_selected), NULL);
  return dd;
}

void
nl_control_dropdown_set_items (GtkWidget *dd, const char *const *ids, const char *const *labels)
{
  Binding *b = g_object_get_data (G_OBJECT (dd), "nl-binding");

  g_strfreev (b->ids);
  b->ids = g_strdupv ((char **) ids);
  b->syncing = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (dd), G_LIST_MODEL (gtk_string_list_new (labels)));
  b->syncing = FALSE;
  dropdown_show_state (dd);
}

/* Spin buttons -------------------------------------------------------------------------------- */

static void
spin_changed (GtkSpinButton *spin, gpointer data)
{
  Binding *b = g_object_get_data (G_OBJECT (spin), "nl-binding");
  g_autoptr(GVariant) state = NULL;

  if (b->syncing)
    return;
  g_action_group_change_action_state (b->group, b->name,
                                      g_variant_new_uint32 ((guint32) gtk_spin_button_get_value_as_int (spin)));
  state = g_action_group_get_action_state (b->group, b->name);
  b->syncing = TRUE;
  gtk_spin_button_set_value (spin, g_variant_get_uint32 (state));
  b->syncing = FALSE;
}

GtkWidget *
nl_control_spin_new (GSimpleActionGroup *group, const char *name, double lo, double hi)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, 1);
  Binding *b = bind (spin, group, name);
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (group), name);

  b->syncing = TRUE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), g_variant_get_uint32 (state));
  b->syncing = FALSE;
  g_signal_connect (spin, "value-changed", G_CALLBACK (spin_changed), NULL);
  return spin;
}

GtkWidget *
nl_control_check_new (const char *name, const char *label)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);
  g_autofree char *action = g_strconcat ("panel.", name, NULL);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (check), action);
  return check;
}
