/* The simulation plugin's module entry points: one registrar. */
#include <gio/gio.h>

void nl_sim_panel_register (GIOModule *module);

G_MODULE_EXPORT void g_io_module_load (GIOModule *module);
G_MODULE_EXPORT void g_io_module_unload (GIOModule *module);

void
g_io_module_load (GIOModule *module)
{
  g_type_module_use (G_TYPE_MODULE (module));
  nl_sim_panel_register (module);
}

void
g_io_module_unload (GIOModule *module)
{
}
