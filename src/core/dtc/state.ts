/** The DTC client's states (no Node imports: the webviews' types reach this file). */
export type ConnectionState = 'disconnected' | 'connecting' | 'negotiating' | 'logging-on' | 'connected' | 'reconnecting' | 'stopped';
