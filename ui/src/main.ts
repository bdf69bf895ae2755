import { applyTheme } from './theme';
import './components/ha-mcp-app';

applyTheme();
